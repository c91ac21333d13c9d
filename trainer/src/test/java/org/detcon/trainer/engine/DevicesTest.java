package org.detcon.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void parsesEveryFormAndPrintsItBack() {
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse("auto"));
        assertEquals(DeviceSpec.CPU, DeviceSpec.parse(" CPU "));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, List.of()), DeviceSpec.parse("gpu"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, List.of(0)), DeviceSpec.parse("gpu:0"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, List.of(0, 1)), DeviceSpec.parse("gpu:0,1"));
        assertEquals(new DeviceSpec(DeviceSpec.Kind.GPU, List.of(2)), DeviceSpec.parse("cuda:2"));
        for (String s : new String[] {"auto", "cpu", "gpu", "gpu:0", "gpu:0,1", "gpu:1,3"}) {
            assertEquals(s, DeviceSpec.parse(s).toString());
        }
    }

    @Test
    void badValuesAreOneLineNamingTheValue() {
        for (String s : new String[] {"", "tpu", "gpu:", "gpu:a", "gpu:-1", "gpu:1,0", "gpu:0,0", "cpu:0", "gpu0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(s), s);
            assertTrue(e.getMessage().startsWith("'" + s + "' is not a device"), e.getMessage());
            assertTrue(e.getMessage().endsWith(DeviceSpec.FORMS), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    private static NativeCheck cpuBuild() {
        return new NativeCheck("2.7.1", "/cache", NativeCheck.Source.BUNDLED_CPU_JAR, false, false, false, null,
                List.of(), Map.of(), null);
    }

    /** A CUDA build of libtorch seeing {@code gpus} GPUs (none: no driver, so CUDA is not available). */
    private static NativeCheck cudaBuild(int gpus) {
        List<NativeCheck.Gpu> g = new java.util.ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            g.add(new NativeCheck.Gpu(i, "90", 140L << 30));
        }
        return new NativeCheck("2.7.1", "/opt/torch/lib", NativeCheck.Source.PYTORCH_LIBRARY_PATH, true, gpus > 0,
                gpus > 0, gpus > 0 ? "12.8" : null, g, Map.of("PYTORCH_LIBRARY_PATH", "/opt/torch/lib"), null);
    }

    @Test
    void autoPicksEveryGpuWithCudaElseTheCpu() {
        Devices.Resolved cpu = Devices.resolve(DeviceSpec.AUTO, cpuBuild());
        assertEquals(List.of(Device.cpu()), cpu.devices());
        assertEquals("device: cpu (auto: libtorch 2.7.1 is a CPU build)", cpu.line());
        Devices.Resolved none = Devices.resolve(DeviceSpec.AUTO, cudaBuild(0));
        assertTrue(none.cpu());
        assertEquals("auto: libtorch 2.7.1 is a CUDA build but sees no GPU", none.reason());
        Devices.Resolved two = Devices.resolve(DeviceSpec.AUTO, cudaBuild(2));
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), two.devices());
        assertEquals("gpu:0,1", two.names());
        assertEquals("device: gpu:0,1 (auto: libtorch 2.7.1 with CUDA sees 2 GPUs)", two.line());
    }

    @Test
    void gpuSelectsTheListedDevices() {
        assertEquals(List.of(Device.gpu(1)), Devices.resolve(DeviceSpec.parse("gpu:1"), cudaBuild(2)).devices());
        assertEquals(2, Devices.resolve(DeviceSpec.parse("gpu"), cudaBuild(2)).devices().size());
        assertEquals(List.of(Device.cpu()), Devices.resolve(DeviceSpec.CPU, cudaBuild(2)).devices());
        DeviceException e = assertThrows(DeviceException.class,
                () -> Devices.resolve(DeviceSpec.parse("gpu:0,2"), cudaBuild(2)));
        assertEquals("gpu:0,2: there is no gpu:2; libtorch sees 2 GPUs (gpu:0..gpu:1)", e.getMessage());
    }

    /** Asking for a GPU where there is none fails with one line saying what to install and set. */
    @Test
    void gpuWithoutOneSaysWhatToInstall() {
        DeviceException cpu = assertThrows(DeviceException.class,
                () -> Devices.resolve(DeviceSpec.parse("gpu"), cpuBuild()));
        String m = cpu.getMessage();
        assertTrue(m.startsWith("gpu: the loaded libtorch 2.7.1 is a CPU build (the bundled pytorch-native-cpu jar)"),
                m);
        for (String needed : new String[] {"torch==2.7.1", "cu128", "PYTORCH_LIBRARY_PATH=", "PYTORCH_VERSION=2.7.1",
                "PYTORCH_FLAVOR=cu128", "detcon doctor"}) {
            assertTrue(m.contains(needed), needed + " in " + m);
        }
        assertFalse(m.contains("\n"));
        DeviceException driver = assertThrows(DeviceException.class,
                () -> Devices.resolve(DeviceSpec.parse("gpu:0"), cudaBuild(0)));
        assertTrue(driver.getMessage().startsWith("gpu:0: libtorch 2.7.1 is a CUDA build but sees no GPU (no NVIDIA"
                + " driver"), driver.getMessage());
        NativeCheck broken = new NativeCheck(null, null, NativeCheck.Source.PYTORCH_LIBRARY_PATH, false, false, false,
                null, List.of(), Map.of("PYTORCH_LIBRARY_PATH", "/x"), "Failed to load PyTorch native library:"
                        + " undefined symbol");
        assertTrue(assertThrows(DeviceException.class, () -> Devices.resolve(DeviceSpec.AUTO, broken)).getMessage()
                .startsWith("auto: libtorch did not load (Failed to load"));
    }

    /** On this (CPU) machine: auto is the CPU, and the check names the bundled libtorch. */
    @Test
    void thisHostIsACpuHost() {
        NativeCheck here = NativeCheck.run();
        assertNull(here.loadError());
        assertEquals("2.7.1", here.libtorchVersion());
        assertFalse(here.cuda());
        assertFalse(here.cudaBuild());
        assertTrue(Devices.resolve(DeviceSpec.AUTO).cpu());
        List<String> lines = here.lines();
        assertTrue(lines.get(0).startsWith("libtorch: 2.7.1 (CPU build) from the bundled pytorch-native-cpu jar"),
                lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("GPU: not usable: the loaded libtorch 2.7.1 is a CPU build"),
                lines.toString());
    }

    @Test
    void precisionNamesAndWhereTheyRun() {
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        assertEquals(Precision.BF16, Precision.parse("BF16"));
        assertEquals("tf32", Precision.TF32.key());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
        assertEquals("'fp8' is not a precision; use fp32, tf32, bf16 or fp16", e.getMessage());
        List<Device> cpu = List.of(Device.cpu());
        List<Device> gpu = List.of(Device.gpu(0));
        assertNull(Precision.FP32.problemOn(cpu, null));
        assertNull(Precision.FP32.problemOn(cpu, "1"));
        assertNull(Precision.FP32.problemOn(gpu, null));
        assertTrue(Precision.FP32.problemOn(gpu, "1").contains("unset it or use precision: tf32"));
        assertTrue(Precision.TF32.problemOn(cpu, "1").startsWith("tf32 runs on CUDA devices only"));
        assertTrue(Precision.TF32.problemOn(gpu, null).contains("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1"));
        assertNull(Precision.TF32.problemOn(gpu, "1"));
        assertTrue(Precision.BF16.problemOn(cpu, null).startsWith("bf16 cannot train on the CPU"));
        assertTrue(Precision.FP16.problemOn(cpu, null).startsWith("fp16 cannot train on the CPU"));
        assertTrue(Precision.BF16.problemOn(gpu, null).contains("no autocast"));
    }
}
