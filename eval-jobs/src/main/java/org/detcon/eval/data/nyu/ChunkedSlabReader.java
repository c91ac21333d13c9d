package org.detcon.eval.data.nyu;

import io.jhdf.api.dataset.ChunkedDataset;

/**
 * Reads {@code dataset[index, ...]} (one entry along the first axis) from a chunked HDF5 dataset by decompressing
 * only the chunks that overlap it and copying their parts into place.
 *
 * <p>Why not {@code Dataset.getData(offset, shape)}: in jHDF 0.9.4 that hyperslab read returns zeros for every part
 * of the slab outside the first overlapping chunk when the chunks do not line up with the slab (seen with
 * chunks straddling images and partial edge chunks; the unit tests' fixture reproduces it). Whole-chunk reads via
 * {@link ChunkedDataset#getDecompressedChunk(int[])} (offsets in elements; full chunk size, edge chunks padded)
 * are correct, so the assembly is done here.
 */
final class ChunkedSlabReader {

    private ChunkedSlabReader() {
    }

    /** The raw bytes of {@code ds[index, ...]}, row-major over the remaining axes, element size as stored. */
    static byte[] readSlab(ChunkedDataset ds, int index) {
        int[] dims = ds.getDimensions();
        int[] cdims = ds.getChunkDimensions();
        int rank = dims.length;
        if (cdims.length != rank || rank < 2) {
            throw new IllegalArgumentException("chunk rank " + cdims.length + " for dataset rank " + rank);
        }
        int elem = ds.getDataType().getSize();
        int[] slabStride = new int[rank]; // element strides within the slab (axes 1..rank-1)
        int[] chunkStride = new int[rank];
        slabStride[rank - 1] = 1;
        chunkStride[rank - 1] = 1;
        for (int k = rank - 2; k >= 0; k--) {
            slabStride[k] = slabStride[k + 1] * (k + 1 < rank ? dims[k + 1] : 1);
            chunkStride[k] = chunkStride[k + 1] * cdims[k + 1];
        }
        int slabElements = slabStride[0];
        byte[] out = new byte[Math.multiplyExact(slabElements, elem)];

        int[] origin = new int[rank];
        origin[0] = (index / cdims[0]) * cdims[0];
        int within0 = index - origin[0];
        // odometer over chunk origins on axes 1..rank-1
        while (true) {
            byte[] chunk = ds.getDecompressedChunk(origin.clone());
            copyChunk(chunk, origin, within0, dims, cdims, chunkStride, slabStride, elem, out);
            int k = rank - 1;
            while (k >= 1) {
                origin[k] += cdims[k];
                if (origin[k] < dims[k]) {
                    break;
                }
                origin[k] = 0;
                k--;
            }
            if (k == 0) {
                return out;
            }
        }
    }

    private static void copyChunk(byte[] chunk, int[] origin, int within0, int[] dims, int[] cdims, int[] chunkStride,
                                  int[] slabStride, int elem, byte[] out) {
        int rank = dims.length;
        int[] extent = new int[rank]; // valid extent of this chunk within the dataset
        for (int k = 1; k < rank; k++) {
            extent[k] = Math.min(cdims[k], dims[k] - origin[k]);
        }
        int run = extent[rank - 1] * elem;
        int[] pos = new int[rank]; // position within the chunk, axes 1..rank-2 iterated
        while (true) {
            int src = within0 * chunkStride[0];
            int dst = 0;
            for (int k = 1; k < rank; k++) {
                src += pos[k] * chunkStride[k];
                dst += (origin[k] + pos[k]) * slabStride[k];
            }
            System.arraycopy(chunk, src * elem, out, dst * elem, run);
            int k = rank - 2;
            while (k >= 1) {
                if (++pos[k] < extent[k]) {
                    break;
                }
                pos[k] = 0;
                k--;
            }
            if (k < 1) {
                return;
            }
        }
    }
}
