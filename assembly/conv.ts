// conv2d with unit column stride, computed directly from the zero-padded image: output positions
// (i, j .. j + 3) of one row read, for kernel tap (c, u, v), the 4 consecutive doubles of the padded
// image at row i·sh + u, column j + v of plane c: a row of B for multiplyTile, without packing.
import { MR, NR, multiplyTile } from './tile';

/**
 * out[f, i, j] = Σ_p K[f, p] · image[i·rowStep + j·8 + tapOffsets[p]] (bytes) for f < filterPanels·MR,
 * i < rows, j < tiles·NR. `filters`: filterPanels packed panels of MR filters, each `depth` steps of MR
 * doubles (zero rows for missing filters); `tapOffsets`: i32 byte offsets of the depth taps (c, u, v)
 * in the padded image; out: row-major [filterPanels·MR, rows, tiles·NR]. The image must extend past
 * the last tile (zeros) so that every tile can be computed whole.
 */
export function convolveRows(image: usize, rowStep: usize, tapOffsets: usize, depth: i32, filters: usize, filterPanels: i32, out: usize, rows: i32, tiles: i32): void {
  const rowLength = (<usize>tiles) * NR * 8;
  const ldc = (<usize>rows) * rowLength;
  const panel = (<usize>depth) * MR * 8;
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < tiles; t++) {
      const b = image + (<usize>i) * rowStep + (<usize>t) * NR * 8;
      const c = out + (<usize>i) * rowLength + (<usize>t) * NR * 8;
      for (let f = 0; f < filterPanels; f++) {
        multiplyTile(depth, filters + (<usize>f) * panel, b, tapOffsets, c + (<usize>f) * MR * ldc, ldc);
      }
    }
  }
}
