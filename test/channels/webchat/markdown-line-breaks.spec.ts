import { expect } from 'chai';
import { markdownLineBreaks } from '../../../channels/webchat/directline-adapter.js';

describe('bot text for Web Chat (markdown)', () => {
  it('keeps single line breaks as hard breaks', () => {
    expect(markdownLineBreaks('Saldo:\n• A\n• B')).to.equal('Saldo:  \n• A  \n• B');
  });

  it('leaves paragraph breaks and single lines alone', () => {
    expect(markdownLineBreaks('uno\n\ndos')).to.equal('uno\n\ndos');
    expect(markdownLineBreaks('solo')).to.equal('solo');
  });
});
