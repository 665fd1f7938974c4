import { expect } from 'chai';
import { fillSections, markedSections } from './readme-markers.js';

describe('report: README markers', () => {
  const text = [
    '# Results', 'Prose that quotes `<!-- results:x -->` is not a marker.', '',
    '<!-- results:alpha -->', 'old table', '<!-- /results -->', 'between',
    '<!-- results:beta -->', '<!-- /results -->', 'end',
  ].join('\n');

  it('finds sections on lines of their own and replaces only their bodies', () => {
    const s = markedSections(text, 'README.md');
    expect(s.map((x) => [x.name, x.line, x.body])).to.deep.equal([['alpha', 4, '\nold table\n'], ['beta', 8, '\n']]);
    const filled = fillSections(text, s, new Map([['alpha', '| a |'], ['beta', '| b |']]));
    expect(filled).to.equal(text.replace('old table', '| a |').replace('<!-- results:beta -->\n', '<!-- results:beta -->\n| b |\n'));
    expect(markedSections(filled, 'README.md').map((x) => x.body)).to.deep.equal(['\n| a |\n', '\n| b |\n']);
  });

  it('an unclosed or repeated marker is refused with the file and line', () => {
    expect(() => markedSections('a\n<!-- results:alpha -->\n| t |\n<!-- results:beta -->\n<!-- /results -->\n', 'README.md'))
      .to.throw('README.md: line 2: <!-- results:alpha --> is not closed; expected a line <!-- /results --> after the table');
    expect(() => markedSections('<!-- results:a -->\n<!-- /results -->\n<!-- results:a -->\n<!-- /results -->\n', 'R.md'))
      .to.throw('R.md: line 3: a second <!-- results:a -->; expected each table marked once');
  });
});
