package org.detcon.cli.doctor;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.detcon.cli.DeviceOption;
import org.detcon.trainer.engine.DeviceException;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.NativeCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code detcon doctor [--device gpu]}: the native-library check of this host ({@link NativeCheck}: libtorch version
 * and origin, CUDA, the GPUs) and the device a run would get. Exit status 0 when the asked device (default auto) is
 * usable, 1 with one line saying what to install or set when not: the one command to check a GPU host.
 */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Check this host's native PyTorch: libtorch version and where it came from (the bundled CPU jar or"
                    + " PYTORCH_LIBRARY_PATH), CUDA, the GPUs, and the device a run gets.",
            "On a GPU host: detcon doctor --device gpu (exit status 1 and what to install or set when no GPU is"
                    + " usable)."})
public final class DoctorCommand implements Callable<Integer> {

    @Mixin
    DeviceOption device = new DeviceOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DeviceSpec asked = device.spec(DeviceSpec.AUTO);
        NativeCheck check = NativeCheck.run();
        check.lines().forEach(out::println);
        out.flush();
        try {
            Devices.Resolved r = Devices.resolve(asked, check);
            out.println(r.line());
            out.flush();
            return 0;
        } catch (DeviceException e) {
            err.println("detcon: device " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
