import { definePlugin } from '../registry/plugin.js';
import { DatasetSimulator } from './dataset-simulator.js';
import { ImageFilesSimulator } from './image-files-simulator.js';

/** Components that ship with the core (not astronomy-specific). */
export const builtinCorePlugin = definePlugin({
  name: 'core',
  description: 'generic components: datasets on disk, images from files',
  components: [DatasetSimulator, ImageFilesSimulator],
});
