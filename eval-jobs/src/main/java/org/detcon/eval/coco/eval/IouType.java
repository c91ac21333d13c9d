package org.detcon.eval.coco.eval;

import java.util.Locale;

/** What the IoU between a detection and a ground truth is computed on, as pycocotools' {@code iouType}. */
public enum IouType {
    /** Axis-aligned boxes {@code [x, y, w, h]} ({@code maskApi.c bbIou}). */
    BBOX("bbox"),
    /** Run-length encoded masks ({@code maskApi.c rleIou}). */
    SEGM("segm");

    private final String cocoName;

    IouType(String cocoName) {
        this.cocoName = cocoName;
    }

    /** The pycocotools spelling: {@code bbox} or {@code segm}. */
    public String cocoName() {
        return cocoName;
    }

    /** Parses {@code bbox} or {@code segm} (case-insensitive). */
    public static IouType parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        for (IouType t : values()) {
            if (t.cocoName.equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException("iou type must be bbox or segm, got '" + s + "'");
    }
}
