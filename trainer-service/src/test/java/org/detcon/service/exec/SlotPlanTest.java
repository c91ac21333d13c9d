package org.detcon.service.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.detcon.eval.registry.EvalJobs;
import org.detcon.service.ServiceOptions;
import org.detcon.service.TrainerService;
import org.detcon.service.jobs.JobKinds;
import org.detcon.trainer.engine.DeviceException;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.NativeCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slot planning from --devices / --slots against a stated libtorch, and a job's JVM on its slot's device. */
class SlotPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static NativeCheck cpuBuild() {
        return new NativeCheck("2.7.1", "/cache", NativeCheck.Source.BUNDLED_CPU_JAR, false, false, false, null,
                List.of(), Map.of(), null);
    }

    /** A CUDA build of libtorch seeing {@code gpus} GPUs of 80 GiB. */
    private static NativeCheck cudaBuild(int gpus) {
        List<NativeCheck.Gpu> g = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            g.add(new NativeCheck.Gpu(i, "90", 80L << 30));
        }
        return new NativeCheck("2.7.1", "/opt/torch/lib", NativeCheck.Source.PYTORCH_LIBRARY_PATH, true, gpus > 0,
                gpus > 0, gpus > 0 ? "12.8" : null, g, Map.of("PYTORCH_LIBRARY_PATH", "/opt/torch/lib"), null);
    }

    private static List<String> names(SlotPlan p) {
        return p.slots().stream().map(SlotPlan.Slot::name).toList();
    }

    private static List<String> devices(SlotPlan p) {
        return p.slots().stream().map(SlotPlan.Slot::device).toList();
    }

    @Test
    void oneSlotPerGpuWhenAutoOrGpuSeesThem() {
        for (String d : List.of("auto", "gpu", "gpu:0,1")) {
            SlotPlan p = SlotPlan.of(DeviceSpec.parse(d), 1, cudaBuild(2));
            assertEquals(List.of("gpu:0", "gpu:1"), names(p), d);
            assertEquals(List.of("gpu:0", "gpu:1"), devices(p), d);
            assertEquals(List.of(new SlotPlan.DeviceInfo("gpu:0", 80L << 30, 0, "90"),
                    new SlotPlan.DeviceInfo("gpu:1", 80L << 30, 0, "90")), p.devices(), d);
        }
        assertEquals("2 slots on gpu:0,1; device: gpu:0,1 (auto: libtorch 2.7.1 with CUDA sees 2 GPUs)",
                SlotPlan.of(DeviceSpec.AUTO, 1, cudaBuild(2)).line());
        SlotPlan one = SlotPlan.of(DeviceSpec.parse("gpu:1"), 1, cudaBuild(2));
        assertEquals(List.of(new SlotPlan.Slot("gpu:1", "gpu:1")), one.slots());
        assertEquals(1, one.devices().size());
    }

    @Test
    void slotsAreJobsPerDevice() {
        SlotPlan p = SlotPlan.of(DeviceSpec.parse("gpu"), 2, cudaBuild(2));
        assertEquals(List.of("gpu:0/0", "gpu:0/1", "gpu:1/0", "gpu:1/1"), names(p));
        assertEquals(List.of("gpu:0", "gpu:0", "gpu:1", "gpu:1"), devices(p));
        SlotPlan cpu = SlotPlan.of(DeviceSpec.CPU, 3, cudaBuild(2));
        assertEquals(List.of("cpu:0", "cpu:1", "cpu:2"), names(cpu));
        assertEquals(List.of("cpu", "cpu", "cpu"), devices(cpu));
        assertEquals("cpu", cpu.devices().get(0).name());
        assertTrue(cpu.devices().get(0).memoryBytes() > 0);
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.devices().get(0).cores());
        assertThrows(IllegalArgumentException.class, () -> SlotPlan.of(DeviceSpec.CPU, 0, cpuBuild()));
    }

    @Test
    void autoWithoutCudaIsTheCpuAndSaysWhy() {
        SlotPlan p = SlotPlan.of(DeviceSpec.AUTO, 2, cpuBuild());
        assertEquals(List.of("cpu:0", "cpu:1"), names(p));
        assertEquals("2 slots on cpu; device: cpu (auto: libtorch 2.7.1 is a CPU build)", p.line());
        assertEquals(List.of("cpu:0"), names(SlotPlan.of(DeviceSpec.AUTO, 1, cudaBuild(0))));
    }

    @Test
    void aGpuThatIsNotThereIsOneLineSayingWhatToDo() {
        DeviceException cpu = assertThrows(DeviceException.class,
                () -> SlotPlan.of(DeviceSpec.parse("gpu"), 1, cpuBuild()));
        assertEquals("gpu: " + cpuBuild().whyNoGpu(), cpu.getMessage());
        assertTrue(cpu.getMessage().contains("PYTORCH_LIBRARY_PATH"), cpu.getMessage());
        DeviceException missing = assertThrows(DeviceException.class,
                () -> SlotPlan.of(DeviceSpec.parse("gpu:2"), 1, cudaBuild(2)));
        assertTrue(missing.getMessage().startsWith("gpu:2: there is no gpu:2"), missing.getMessage());
        assertEquals(1, missing.getMessage().lines().count());
    }

    @Test
    void aJobOnAGpuSlotRunsItsJvmWithThatDevice() {
        SlotPlan.Slot slot = SlotPlan.of(DeviceSpec.AUTO, 1, cudaBuild(2)).slots().get(1);
        List<String> cmd = ChildCommand.of(Path.of("/state/jobs/7/job.json"), slot.device());
        int main = cmd.indexOf(JobMain.class.getName());
        assertTrue(main > 0, cmd.toString());
        assertEquals(List.of("/state/jobs/7/job.json", JobMain.DEVICE, "gpu:1"), cmd.subList(main + 1, cmd.size()));
    }

    @Test
    void theSlotsDeviceReplacesTheConfigsAsTrainDeviceDoes() {
        ObjectNode config = JSON.createObjectNode().put("method", "byol").put("steps", 10).put("device", "cpu");
        config.putObject("data").put("uri", "/data/shards");
        config.putObject("output").put("uri", "/out/run");
        JsonNode placed = JobKinds.onDevice(JobKinds.PRETRAIN, config, "gpu:1");
        assertEquals(DeviceSpec.parse("gpu:1"), JobKinds.pretrainSpec(placed).config().device());
        assertEquals("cpu", config.get("device").asText(), "the submitted config is left alone");
        // an eval with a device setting gets it; the probe, which has none, is left as it is
        int withDevice = 0;
        for (String kind : EvalJobs.names()) {
            ObjectNode eval = JSON.createObjectNode().put("backbone", "/b").put("data", "/d").put("out", "/o");
            JsonNode e = JobKinds.onDevice(kind, eval, "gpu:1");
            if (!kind.equals("probe")) {
                withDevice++;
                assertEquals("gpu:1", e.get("settings").get("device").asText(), kind);
                if (kind.equals("coco-maskrcnn")) { // CPU only: a GPU service refuses it at submit, with the reason
                    IllegalArgumentException no = assertThrows(IllegalArgumentException.class,
                            () -> EvalJobs.get(kind).resolve(e.get("settings")));
                    assertTrue(no.getMessage().contains("CPU only"), no.getMessage());
                } else {
                    EvalJobs.get(kind).resolve(e.get("settings")); // the eval reads it
                }
            } else {
                assertEquals(eval, e, kind);
            }
        }
        assertTrue(withDevice > 0, "the fine-tuning evals take a device");
    }

    @Test
    void startingWithGpusOnAHostWithoutCudaFailsWithOneLineBeforeTouchingState(@TempDir Path dir) {
        Path state = dir.resolve("state");
        DeviceException e = assertThrows(DeviceException.class, () -> TrainerService.start(
                ServiceOptions.defaults(state).withPort(0).withDevices(DeviceSpec.parse("gpu"))));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("gpu: "), e.getMessage());
        assertTrue(e.getMessage().contains(NativeCheck.GPU_ROUTE), e.getMessage());
        assertFalse(Files.exists(state), "no state folder, no token for a service that did not start");
    }
}
