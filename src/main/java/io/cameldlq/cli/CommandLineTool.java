package io.cameldlq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The commands of {@code java -jar camel-dlq.jar COMMAND}; without a command the pipeline runs. */
@Command(name = "camel-dlq", mixinStandardHelpOptions = true, versionProvider = CommandLineTool.Version.class,
        description = "Dead-letter pipeline for Kafka. Run without a command to start the pipeline; "
                + "'-profile dev' selects the dev profile.",
        subcommands = {SendCommand.class, DeadLettersCommand.class, RedriveCommand.class,
                CommandLine.HelpCommand.class})
public final class CommandLineTool {

    /** The version in the jar's manifest, written by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CommandLineTool.class.getPackage().getImplementationVersion();
            return new String[] {"camel-dlq " + (version == null ? "(version unknown: not run from the jar)" : version)};
        }
    }

    /** Runs the command in {@code args} and returns its exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new CommandLineTool());
    }
}
