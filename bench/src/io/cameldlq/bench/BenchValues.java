package io.cameldlq.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encoding of the benchmark's record values. Byte 0 is the kind, bytes 1 to 10 the record number in
 * decimal, and the rest filler up to the value size. The kind selects what the shared processor does with
 * a record and which latency histogram it belongs to.
 */
public final class BenchValues {

    /** A healthy record of a preloaded backlog. */
    public static final byte BACKLOG = 'B';
    /** A healthy record of the steady-rate phase that is not measured: the consumer's JIT warm-up. */
    public static final byte WARM_UP = 'W';
    /** A healthy record of the steady-rate phase. */
    public static final byte STEADY = 'S';
    /** A record whose processing always fails, so it ends in the dead-letter topic. */
    public static final byte FAILING = 'F';
    /** A failing record of the failure path's warm-up, which is not measured. */
    public static final byte WARM_UP_FAILING = 'G';

    /** Shortest value: the kind byte and ten digits. */
    public static final int MIN_SIZE = 11;

    private static final int NUMBER_DIGITS = 10;

    private BenchValues() {
    }

    /** Creates a value of {@code size} bytes, at least {@link #MIN_SIZE}. */
    public static byte[] create(byte kind, long number, int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("value size " + size + " is below the minimum of " + MIN_SIZE);
        }
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        value[0] = kind;
        byte[] digits = String.format("%010d", number).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, value, 1, NUMBER_DIGITS);
        return value;
    }

    /** Returns the kind byte, or 0 for a value too short to be one of the benchmark's. */
    public static byte kind(byte[] value) {
        return value == null || value.length < MIN_SIZE ? 0 : value[0];
    }

    /** Returns the record number, or -1 for a value too short to be one of the benchmark's. */
    public static long number(byte[] value) {
        if (value == null || value.length < MIN_SIZE) {
            return -1;
        }
        long number = 0;
        for (int i = 1; i <= NUMBER_DIGITS; i++) {
            number = number * 10 + (value[i] - '0');
        }
        return number;
    }
}
