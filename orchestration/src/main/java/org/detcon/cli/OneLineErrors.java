package org.detcon.cli;

import org.detcon.core.config.ConfigFileException;
import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and a non-zero exit status: 2 for a usage error or a bad config file, 1 for
 * anything that went wrong while running. Set {@code DETCON_DEBUG=1} for the stack trace.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    static final int RUN_FAILED = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        cl.getErr().println("detcon: " + describe(ex));
        if (System.getenv("DETCON_DEBUG") != null) {
            ex.printStackTrace(cl.getErr());
        }
        return ex instanceof UsageException || ex instanceof ConfigFileException ? USAGE : RUN_FAILED;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("detcon: " + ex.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ');
    }
}
