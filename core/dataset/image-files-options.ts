import { z } from 'zod';

const HduRef = z.union([z.number().int().min(0), z.string().min(1)]);

/** How the images are divided into the splits methods ask for (`train`, `eval`, `test`, ...). */
export const ImageSplitOptions = z.discriminatedUnion('by', [
  z.strictObject({
    by: z.literal('fraction'),
    fractions: z.record(z.string().min(1), z.number().min(0).max(1)).default({ train: 0.8, eval: 0.1, test: 0.1 })
      .describe('split name -> fraction of the images (sum <= 1); drawn by a seeded shuffle, disjoint'),
    seed: z.number().int().default(0).describe('seed of the shuffle (independent of the run seed, so the split stays put across runs)'),
  }),
  z.strictObject({
    by: z.literal('column'),
    column: z.string().min(1).default('split').describe('labels CSV column holding each image\'s split name (train / eval / test ...)'),
  }),
  z.strictObject({
    by: z.literal('paths'),
    paths: z.record(z.string().min(1), z.string().min(1)).describe('split name -> file or folder read like `path` (which is the train split), e.g. { eval: val/, test: test/ }'),
  }),
  z.strictObject({ by: z.literal('none').describe('every image in split "train"; other splits are refused') }),
]);

export const ImageFilesOptions = z.strictObject({
  path: z.string().min(1).describe('a FITS (.fits/.fit/.fts, optionally .gz), .npy or HDF5 (.h5/.hdf5) file, or a folder of them; relative paths start at the config file'),
  pattern: z.string().min(1).optional().describe('file names to take from a folder: * matches any text; one {g,r,i} group reads per-band files as the channels of one object, in that order (e.g. "*_{g,r,i}.fits")'),
  format: z.enum(['auto', 'fits', 'npy', 'hdf5']).default('auto').describe('file format (auto: from the file extension)'),
  hdu: HduRef.optional().describe('FITS HDU by number (0 = primary) or EXTNAME; default: the first HDU holding an image'),
  bands: z.array(HduRef).min(1).optional().describe('FITS: the channels are these HDUs (numbers or EXTNAMEs) of each file, in this order'),
  cube: z.enum(['images', 'channels']).default('images').describe('FITS NAXIS3: a stack of images, or the channels (bands) of one image'),
  dataset: z.string().min(1).default('/images').describe('HDF5: the dataset path inside the file ([N, H, W] or [N, H, W, C])'),
  channelsFirst: z.boolean().default(false).describe('.npy / HDF5 4-D arrays are [N, C, H, W] (default [N, H, W, C])'),
  labels: z.strictObject({
    file: z.string().min(1).describe('CSV with a header row, or a FITS binary table (.fits); relative to the config file'),
    hdu: HduRef.optional().describe('FITS table: the BINTABLE HDU by number or EXTNAME (default: the first)'),
    by: z.enum(['id', 'file', 'row']).default('id').describe('join rows to images by object id, by file name, or by row order'),
    key: z.string().min(1).optional().describe('the CSV column to join on (default "id" for by: id, "file" for by: file)'),
    columns: z.array(z.string().min(1)).optional().describe('label columns (numbers) that become Sample.labels (default: every column except the key and split columns)'),
  }).optional().describe('labels from a CSV file or FITS table'),
  split: ImageSplitOptions.prefault({ by: 'fraction' }).describe('how images are divided into train / eval / test'),
  splitAliases: z.record(z.string().min(1), z.string().min(1))
    .default({ validation: 'eval', val: 'eval', 'downstream-train': 'train', 'downstream-test': 'test' })
    .describe('split names a method asks for -> the split that serves them'),
  size: z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]).optional()
    .describe('centre crop / zero-pad every image to this size ([height, width] or one number); required when files differ in size'),
  nan: z.enum(['error', 'zero', 'median']).default('error').describe('NaN / Inf pixels (FITS BLANK included): refuse, set 0, or set the channel median'),
  normalize: z.enum(['none', 'max', 'asinh', 'zscore', 'percentile']).default('none').describe('per-image normalisation: x/max (LenSiam), asinh(x/softening), z-score, or percentile clip to [0, 1]'),
  asinhSoftening: z.number().positive().default(1).describe('normalize: asinh softening (data units)'),
  percentiles: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100)]).default([0.5, 99.5]).describe('normalize: percentile clip range'),
  normalizePerChannel: z.boolean().default(false).describe('normalise each channel on its own'),
  cacheMB: z.number().positive().default(256).describe('memory for decoded files / row blocks (least recently used are dropped)'),
  maxFileMB: z.number().positive().default(2048).describe('refuse one HDU / decompressed file larger than this'),
  limit: z.number().int().min(1).optional().describe('use only the first `limit` images of each split'),
});

export type ImageFilesConfig = z.output<typeof ImageFilesOptions>;
