package io.cameldlq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

/**
 * Invalid arguments of the commands, run in this JVM: each one ends the command with exit code 2 and one
 * line on standard error, before any broker is contacted. The loopback broker address in the arguments
 * is closed, so a check that is missing fails the test instead of reaching a broker.
 */
class CommandArgumentsTest {

    private static final String CLOSED_BROKER = "127.0.0.1:1";

    @TempDir
    Path directory;

    private record Result(int exitCode, String output, String error) {
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ';', value = {
        "redrive; --limit; -1; Invalid --limit -1: must be 0 or more",
        "dead-letters; --limit; -5; Invalid --limit -5: must be 0 or more",
        "dead-letters; --partition; -1; Invalid --partition -1: must be 0 or more",
        "dead-letters; --offset; -1; Invalid --offset -1: must be 0 or more",
        "redrive; --partition; -1; Invalid --partition -1: must be 0 or more",
        "redrive; --offset; -1; Invalid --offset -1: must be 0 or more",
        "dead-letters; --reason; bogus; Invalid --reason 'bogus': expected retries-exhausted or not-retryable",
        "redrive; --reason; bogus; Invalid --reason 'bogus': expected retries-exhausted or not-retryable",
        "dead-letters; --timeout-ms; 0; Invalid --timeout-ms 0: must be more than 0",
        "redrive; --timeout-ms; -3; Invalid --timeout-ms -3: must be more than 0",
    })
    void invalidOptionExitsWithTwo(String command, String option, String value, String expected) {
        Result result = run(command, "--brokers", CLOSED_BROKER, option, value);

        assertEquals(2, result.exitCode(), result.error());
        assertEquals(expected, result.error().strip());
    }

    @Test
    void sendRejectsZeroTimeout() {
        Result result = run("send", "--brokers", CLOSED_BROKER, "--timeout-ms", "0", "value");

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Invalid --timeout-ms 0: must be more than 0", result.error().strip());
    }

    @Test
    void sendRejectsEmptyBrokers() {
        Result result = run("send", "--brokers", "", "value");

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Invalid --brokers '': expected HOST:PORT[,HOST:PORT...]", result.error().strip());
    }

    @Test
    void sendRejectsBrokerWithoutPort() {
        Result result = run("send", "--brokers", "localhost", "value");

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Invalid --brokers 'localhost': expected HOST:PORT[,HOST:PORT...]", result.error().strip());
    }

    @Test
    void sendReportsMissingFile() {
        Path missing = directory.resolve("no-such-file.txt");

        Result result = run("send", "--brokers", CLOSED_BROKER, "--file", missing.toString());

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Cannot read --file " + missing + ": file not found", result.error().strip());
    }

    @Test
    void sendReportsDirectoryAsFile() {
        Result result = run("send", "--brokers", CLOSED_BROKER, "--file", directory.toString());

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Cannot read --file " + directory + ": is a directory", result.error().strip());
    }

    @Test
    void sendReportsLineThatIsNotUtf8() throws IOException {
        Path file = directory.resolve("values.txt");
        byte[] invalid = {'o', 'k', '\n', 'b', 'a', 'd', (byte) 0xC3, '(', '\n', 'l', 'a', 's', 't', '\n'};
        Files.write(file, invalid);

        Result result = run("send", "--brokers", CLOSED_BROKER, "--file", file.toString());

        assertEquals(2, result.exitCode(), result.error());
        assertEquals("Invalid --file " + file + ": line 2 is not valid UTF-8", result.error().strip());
        assertFalse(result.output().contains("sent"), result.output());
    }

    @Test
    void sendReadsLinesOfFile() throws Exception {
        Path file = directory.resolve("values.txt");
        Files.writeString(file, "first\r\nsecond\n\nfourth");

        assertEquals(List.of("first", "second", "", "fourth"),
                SendCommand.readLines(Files.readAllBytes(file), "--file " + file));
    }

    @Test
    void errorsAreSingleLines() {
        Result result = run("dead-letters", "--brokers", CLOSED_BROKER, "--reason", "bogus");

        assertEquals(1, result.error().strip().lines().count(), result.error());
        assertTrue(result.output().isEmpty(), result.output());
    }

    private static Result run(String... args) {
        StringWriter output = new StringWriter();
        StringWriter error = new StringWriter();
        CommandLine commandLine = CommandLineTool.commandLine();
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(error, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, output.toString(), error.toString());
    }
}
