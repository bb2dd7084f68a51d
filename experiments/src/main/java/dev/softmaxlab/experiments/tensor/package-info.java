/**
 * Tensor files in and out: small readers for {@code .npy}, {@code .npz} (stored and deflated entries, streamed from the
 * zip), {@code .safetensors} and raw little-endian binary, one per format, and the matching writers. Readers never
 * map or load a whole file: {@link dev.softmaxlab.experiments.tensor.RowReader} streams a [..., C] tensor in blocks of
 * rows converted to double, so memory stays flat whatever the file size. Every malformed file is an
 * {@link dev.softmaxlab.core.InvalidInputException} naming the file, the field and the fix. Pickles ({@code .pt}) are
 * refused and never opened as such: loading a pickle runs code.
 */
package dev.softmaxlab.experiments.tensor;
