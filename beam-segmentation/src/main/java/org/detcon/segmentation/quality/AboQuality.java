package org.detcon.segmentation.quality;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.detcon.core.coco.CocoCategory;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.mask.MaskIou;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleString;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.MaskFormat;
import org.detcon.core.shard.MaskSetInfo;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.segmentation.gt.GroundTruthMasks;
import org.detcon.segmentation.gt.GtMask;

/**
 * Mask quality as the DetCon paper measures it (Figure 7's x-axis): <b>ABO</b>, the average best overlap, is the
 * mean over ground-truth instances of the best IoU between the instance's mask and any mask of a mask set
 * (spec §1). Each label-map segment becomes a binary mask; IoUs are pycocotools-exact ({@link MaskIou} on RLEs).
 * Crowd annotations are left out (they are not instances). Computed per mask set, overall and per category.
 *
 * <p>Use: {@link #add(String, int, List, Map)} per image (or {@link #evaluate} over a shard dataset), then
 * {@link #report()}.
 */
public final class AboQuality {

    private final Map<Integer, String> categoryNames = new HashMap<>();
    private final Map<String, Acc> sets = new TreeMap<>();
    private long images;
    private long instances;
    private long unmatched;
    private long sizeMismatches;

    /** Sum and count, overall and per category, for one mask set. */
    private static final class Acc {
        double sum;
        long n;
        long masks;
        long images;
        final Map<Integer, double[]> perCategory = new TreeMap<>(); // {sum, n}
    }

    public AboQuality(List<CocoCategory> categories) {
        for (CocoCategory c : categories) {
            categoryNames.put(c.id(), c.name());
        }
    }

    /**
     * Adds one image: its ground-truth instances and its mask sets, each a list of binary masks.
     *
     * @param categories category id per ground-truth mask
     */
    public void add(List<Rle> gt, int[] categories, Map<String, List<Rle>> maskSets) {
        images++;
        instances += gt.size();
        for (Map.Entry<String, List<Rle>> e : maskSets.entrySet()) {
            Acc a = sets.computeIfAbsent(e.getKey(), k -> new Acc());
            a.images++;
            a.masks += e.getValue().size();
            if (gt.isEmpty()) {
                continue;
            }
            double[][] iou = e.getValue().isEmpty() ? new double[0][gt.size()] : MaskIou.iou(e.getValue(), gt, null);
            for (int g = 0; g < gt.size(); g++) {
                double best = 0;
                for (double[] row : iou) {
                    best = Math.max(best, row[g]);
                }
                a.sum += best;
                a.n++;
                double[] pc = a.perCategory.computeIfAbsent(categories[g], k -> new double[2]);
                pc[0] += best;
                pc[1]++;
            }
        }
    }

    /** Adds one image whose mask sets are label maps. */
    public void addLabelMaps(List<Rle> gt, int[] categories, Map<String, LabelMap> labelMaps) {
        Map<String, List<Rle>> sets = new TreeMap<>();
        for (Map.Entry<String, LabelMap> e : labelMaps.entrySet()) {
            sets.put(e.getKey(), LabelRles.toRles(e.getValue()));
        }
        add(gt, categories, sets);
    }

    /**
     * ABO of every label-map mask set (and every RLE set other than {@code gt}) in a shard dataset against COCO
     * annotations. Samples are matched to COCO images by the {@code image_id} of their {@code gt} mask set, else by
     * the file name of their source; unmatched samples are counted and skipped.
     */
    public static AboQuality evaluate(ObjectStore shards, CocoDataset coco) throws IOException {
        AboQuality q = new AboQuality(coco.categories());
        Map<String, CocoImage> byName = new HashMap<>();
        for (CocoImage img : coco.images()) {
            if (img.fileName() != null) {
                byName.put(baseName(img.fileName()), img);
            }
        }
        List<String> names = new ArrayList<>();
        if (shards.exists(DatasetManifest.FILE_NAME)) {
            for (ShardInfo s : DatasetManifest.read(shards).shards()) {
                names.add(s.name());
            }
        } else {
            for (String k : shards.list("")) {
                if (k.endsWith(".tar")) {
                    names.add(k);
                }
            }
        }
        for (String name : names) {
            try (ShardReader r = ShardReader.open(shards, name)) {
                while (r.hasNext()) {
                    q.addSample(r.next(), coco, byName);
                }
            }
        }
        return q;
    }

    private void addSample(ShardSample s, CocoDataset coco, Map<String, CocoImage> byName) throws IOException {
        Optional<CocoImage> img = Optional.empty();
        MaskSetInfo gtInfo = s.metadata().masks().get("gt");
        if (gtInfo != null && gtInfo.params().has("image_id")) {
            img = coco.image(gtInfo.params().get("image_id").asLong());
        }
        if (img.isEmpty()) {
            img = Optional.ofNullable(byName.get(baseName(s.metadata().source())));
        }
        if (img.isEmpty()) {
            unmatched++;
            return;
        }
        CocoImage ci = img.get();
        if (ci.width() != s.metadata().width() || ci.height() != s.metadata().height()) {
            sizeMismatches++;
            return;
        }
        List<Rle> gt = new ArrayList<>();
        List<Integer> cats = new ArrayList<>();
        for (GtMask g : GroundTruthMasks.masks(ci, coco.annotationsForImage(ci.id()))) {
            if (!g.iscrowd()) {
                gt.add(g.mask());
                cats.add(g.categoryId());
            }
        }
        Map<String, List<Rle>> sets = new TreeMap<>();
        for (Map.Entry<String, MaskSetInfo> e : s.metadata().masks().entrySet()) {
            if (e.getKey().equals("gt")) {
                continue;
            }
            if (e.getValue().format() == MaskFormat.LABEL_PNG) {
                sets.put(e.getKey(), LabelRles.toRles(s.labelMap(e.getKey())));
            } else {
                List<Rle> rles = new ArrayList<>();
                for (RleMask m : s.rleMasks(e.getKey())) {
                    rles.add(RleString.decode(m.counts(), m.height(), m.width()));
                }
                sets.put(e.getKey(), rles);
            }
        }
        add(gt, cats.stream().mapToInt(Integer::intValue).toArray(), sets);
    }

    private static String baseName(String s) {
        return s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
    }

    /** ABO of one mask set over all instances (NaN when none). */
    public double abo(String maskSet) {
        Acc a = sets.get(maskSet);
        return a == null || a.n == 0 ? Double.NaN : a.sum / a.n;
    }

    /** ABO of one mask set over the instances of one category (NaN when none). */
    public double abo(String maskSet, int categoryId) {
        Acc a = sets.get(maskSet);
        double[] pc = a == null ? null : a.perCategory.get(categoryId);
        return pc == null || pc[1] == 0 ? Double.NaN : pc[0] / pc[1];
    }

    /**
     * The report: {@code {"images":..,"instances":..,"unmatched_samples":..,"size_mismatches":..,
     * "mask_sets":{"fh-s1000":{"abo":..,"instances":..,"masks_per_image":..,
     * "per_category":{"person":{"id":1,"abo":..,"instances":..}}}}}}.
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("metric", "ABO (mean over non-crowd ground-truth instances of the best IoU with any mask)");
        o.put("images", images);
        o.put("instances", instances);
        o.put("unmatched_samples", unmatched);
        o.put("size_mismatches", sizeMismatches);
        ObjectNode ms = o.putObject("mask_sets");
        for (Map.Entry<String, Acc> e : sets.entrySet()) {
            Acc a = e.getValue();
            ObjectNode so = ms.putObject(e.getKey());
            so.put("abo", a.n == 0 ? null : a.sum / a.n);
            so.put("instances", a.n);
            so.put("masks_per_image", a.images == 0 ? 0 : (double) a.masks / a.images);
            ObjectNode pc = so.putObject("per_category");
            for (Map.Entry<Integer, double[]> c : a.perCategory.entrySet()) {
                ObjectNode co = pc.putObject(categoryNames.getOrDefault(c.getKey(), String.valueOf(c.getKey())));
                co.put("id", c.getKey());
                co.put("abo", c.getValue()[0] / c.getValue()[1]);
                co.put("instances", (long) c.getValue()[1]);
            }
        }
        return o;
    }

    /** A short table: one line per mask set. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-24s %8s %10s %14s%n", "mask set", "ABO", "instances", "masks/image"));
        for (Map.Entry<String, Acc> e : sets.entrySet()) {
            Acc a = e.getValue();
            sb.append(String.format("%-24s %8.4f %10d %14.1f%n", e.getKey(), a.n == 0 ? Double.NaN : a.sum / a.n, a.n,
                    a.images == 0 ? 0 : (double) a.masks / a.images));
        }
        sb.append(String.format("%d images, %d ground-truth instances", images, instances));
        if (unmatched > 0 || sizeMismatches > 0) {
            sb.append(String.format(" (%d samples not in the annotations, %d with another size: skipped)", unmatched,
                    sizeMismatches));
        }
        return sb.append('\n').toString();
    }
}
