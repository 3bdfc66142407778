package io.cameldlq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The commands of {@code java -jar camel-dlq.jar COMMAND}; without a command the pipeline runs. */
@Command(name = "camel-dlq", mixinStandardHelpOptions = true,
        description = "Dead-letter pipeline for Kafka. Run without a command to start the pipeline.",
        subcommands = {SendCommand.class, CommandLine.HelpCommand.class})
public final class CommandLineTool {

    /** Runs the command in {@code args} and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new CommandLineTool()).execute(args);
    }
}
