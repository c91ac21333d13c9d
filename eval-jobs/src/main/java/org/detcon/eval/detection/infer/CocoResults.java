package org.detcon.eval.detection.infer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.coco.CocoDetection;
import org.detcon.core.coco.CocoSegmentation;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleCodec;
import org.detcon.core.mask.RleString;
import org.detcon.eval.detection.data.CategoryIndex;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.model.Detections;
import org.detcon.eval.detection.ops.MaskPaste;

/**
 * Detections as COCO results, as torchvision's detection reference writes them: boxes mapped back to the original
 * image by the per-axis size ratios (float32) and written as {@code [x, y, w, h]}; masks pasted into the original
 * image ({@link MaskPaste}), thresholded at 0.5 ({@code > 0.5}) and run-length encoded (compressed COCO RLE); the
 * class index mapped to its category id.
 */
public final class CocoResults {

    private final List<CocoDetection> boxes = new ArrayList<>();
    private final List<CocoDetection> masks = new ArrayList<>();
    private final CategoryIndex categories;

    public CocoResults(CategoryIndex categories) {
        this.categories = categories;
    }

    public List<CocoDetection> boxResults() {
        return boxes;
    }

    public List<CocoDetection> segmResults() {
        return masks;
    }

    /** Adds one image's detections (made on {@code sample}'s resized input). */
    public void add(DetectionSample sample, Detections d) {
        if (sample.flipped()) {
            throw new IllegalArgumentException("image " + sample.imageId() + " was flipped; results need unflipped input");
        }
        int oh = sample.originalHeight();
        int ow = sample.originalWidth();
        float rw = (float) ow / (float) sample.width();
        float rh = (float) oh / (float) sample.height();
        float[] scaled = new float[d.boxes().length];
        for (int i = 0; i < d.count(); i++) {
            scaled[4 * i] = d.boxes()[4 * i] * rw;
            scaled[4 * i + 1] = d.boxes()[4 * i + 1] * rh;
            scaled[4 * i + 2] = d.boxes()[4 * i + 2] * rw;
            scaled[4 * i + 3] = d.boxes()[4 * i + 3] * rh;
        }
        int m = d.maskSize();
        float[] pasted = new float[oh * ow];
        byte[] binary = new byte[oh * ow];
        for (int i = 0; i < d.count(); i++) {
            int category = categories.categoryId(d.labels()[i]);
            double[] xywh = {scaled[4 * i], scaled[4 * i + 1], scaled[4 * i + 2] - scaled[4 * i],
                scaled[4 * i + 3] - scaled[4 * i + 1]};
            double score = d.scores()[i];
            boxes.add(new CocoDetection(boxes.size(), sample.imageId(), category, xywh, null, score));
            float[] mask = java.util.Arrays.copyOfRange(d.masks(), i * m * m, (i + 1) * m * m);
            MaskPaste.paste(mask, m, scaled, i, oh, ow, pasted);
            for (int p = 0; p < binary.length; p++) {
                binary[p] = (byte) (pasted[p] > 0.5f ? 1 : 0);
            }
            Rle rle = RleCodec.encodeRowMajor(binary, oh, ow);
            masks.add(new CocoDetection(masks.size(), sample.imageId(), category, null,
                    new CocoSegmentation.CompressedRle(oh, ow, RleString.encode(rle)), score));
        }
    }

    /** The box results file ({@code [{"image_id", "category_id", "bbox", "score"}, ...]}). */
    public byte[] boxJson() throws IOException {
        return json(boxes, false);
    }

    /** The mask results file ({@code [{"image_id", "category_id", "segmentation": {"size", "counts"}, "score"}]}). */
    public byte[] segmJson() throws IOException {
        return json(masks, true);
    }

    private static byte[] json(List<CocoDetection> results, boolean segm) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (CocoDetection d : results) {
                g.writeStartObject();
                g.writeNumberField("image_id", d.imageId());
                g.writeNumberField("category_id", d.categoryId());
                if (segm) {
                    CocoSegmentation.CompressedRle r = (CocoSegmentation.CompressedRle) d.segmentation();
                    g.writeObjectFieldStart("segmentation");
                    g.writeArrayFieldStart("size");
                    g.writeNumber(r.height());
                    g.writeNumber(r.width());
                    g.writeEndArray();
                    g.writeStringField("counts", r.counts());
                    g.writeEndObject();
                } else {
                    g.writeArrayFieldStart("bbox");
                    for (double v : d.bbox()) {
                        g.writeNumber(v);
                    }
                    g.writeEndArray();
                }
                g.writeNumberField("score", d.score());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.writeEndArray();
        }
        return out.toByteArray();
    }
}
