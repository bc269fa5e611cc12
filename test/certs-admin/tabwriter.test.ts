// Go text/tabwriter's layout (padchar ' ', no flags): expected strings worked out from Go's
// rules: width = max(minwidth, widest cell + padding) per block of consecutive lines having
// the column; the text after a line's last tab is printed as is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tabwrite } from '../../src/certs-admin/tabwriter.js';

const opts = { minwidth: 10, padding: 3 };

test('columns are as wide as their widest cell plus the padding, never under minwidth', () => {
  assert.equal(tabwrite('a\tbb\tlast\nlonger-name\tc\tx\n', opts),
    'a             bb        last\n' +
    'longer-name   c         x\n');
});

test('the last cell of a line is not a column: it is neither padded nor counted', () => {
  assert.equal(tabwrite('a\tvery-very-long-last-cell\nb\tc\n', opts), 'a         very-very-long-last-cell\nb         c\n');
  // Trailing spaces inside the last cell survive (kubeadm pads "no" to 8 with %-8v).
  assert.equal(tabwrite('a\tno      \n', opts), 'a         no      \n');
});

test('a line without tabs ends the block: the lines after it get their own widths', () => {
  assert.equal(tabwrite('a-long-cell-here\tx\n\nb\ty\n', opts), 'a-long-cell-here   x\n\nb         y\n');
});

test('empty cells are padded like any other, so a row of empty cells still lines up', () => {
  assert.equal(tabwrite('name\tvalue\tz\n!MISSING! thing\t\t\n', opts),
    'name              value     z\n' +
    '!MISSING! thing             \n');
});

test('a column exists only on the lines that have it: a shorter line does not widen or break the ones above', () => {
  // Column 1 is sized over lines 1-2 only; line 3 has no column 1, so line 4 starts a new block for it.
  assert.equal(tabwrite('a\tb\tc\nd\teeeeeeeeeeee\tf\ng\th\ni\tj\tk\n', opts),
    'a         b              c\n' +
    'd         eeeeeeeeeeee   f\n' +
    'g         h\n' +
    'i         j         k\n');
});

test('widths count characters, not bytes', () => {
  assert.equal(tabwrite('é\tx\nab\ty\n', { minwidth: 0, padding: 1 }), 'é  x\nab y\n');
});
