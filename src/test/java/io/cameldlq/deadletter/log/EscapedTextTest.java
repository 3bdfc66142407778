package io.cameldlq.deadletter.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EscapedTextTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void plainAsciiRoundTrips() {
        assertRoundTrip(utf8("order-7 failed at step 3"));
    }

    @Test
    void plainAsciiIsUnchanged() {
        assertEquals("order-7 failed at step 3", EscapedText.escape(utf8("order-7 failed at step 3")));
    }

    @Test
    void multiByteUtf8RoundTrips() {
        assertRoundTrip(utf8("café Grüße 名前 😀"));
    }

    @Test
    void multiByteUtf8IsWrittenAsText() {
        assertEquals("café Grüße 名前 😀", EscapedText.escape(utf8("café Grüße 名前 😀")));
    }

    @Test
    void fourByteEmojiRoundTrips() {
        byte[] emoji = {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80};

        assertEquals("😀", EscapedText.escape(emoji));
        assertRoundTrip(emoji);
    }

    @Test
    void emptyArrayRoundTrips() {
        assertEquals("", EscapedText.escape(new byte[0]));
        assertArrayEquals(new byte[0], EscapedText.unescape(""));
    }

    @Test
    void lineBreaksAndTabAreEscaped() {
        assertEquals("a\\nb", EscapedText.escape(utf8("a\nb")));
        assertEquals("a\\rb", EscapedText.escape(utf8("a\rb")));
        assertEquals("a\\r\\nb", EscapedText.escape(utf8("a\r\nb")));
        assertEquals("a\\tb", EscapedText.escape(utf8("a\tb")));
    }

    @Test
    void lineBreaksAndTabRoundTrip() {
        assertRoundTrip(utf8("first\nsecond\r\nthird\rfourth\tfifth\n"));
    }

    @Test
    void backslashAndQuoteAreEscaped() {
        assertEquals("\\\\", EscapedText.escape(utf8("\\")));
        assertEquals("\\\"", EscapedText.escape(utf8("\"")));
        assertEquals("say \\\"hi\\\" \\\\n", EscapedText.escape(utf8("say \"hi\" \\n")));
    }

    @Test
    void backslashAndQuoteRoundTrip() {
        assertRoundTrip(utf8("say \"hi\" \\n \\x41 \\u0041 \\\\ \""));
    }

    @Test
    void controlCharactersAreEscapedAsUnicode() {
        assertEquals("\\u0000", EscapedText.escape(new byte[] {0x00}));
        assertEquals("\\u001b", EscapedText.escape(new byte[] {0x1b}));
        assertEquals("\\u000b", EscapedText.escape(new byte[] {0x0b}));
        assertEquals("\\u000c", EscapedText.escape(new byte[] {0x0c}));
        assertEquals("\\u007f", EscapedText.escape(new byte[] {0x7f}));
        assertEquals("\\u0085", EscapedText.escape(new byte[] {(byte) 0xc2, (byte) 0x85}));
    }

    @Test
    void controlCharactersRoundTrip() {
        for (int c = 0; c < 0x20; c++) {
            assertRoundTrip(new byte[] {'a', (byte) c, 'b'});
        }
        assertRoundTrip(new byte[] {0x7f});
        for (int c = 0x80; c < 0xa0; c++) {
            assertRoundTrip(utf8("a" + (char) c + "b"));
        }
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() {
        assertEquals("a\\u2028b", EscapedText.escape(utf8("a\u2028b")));
        assertEquals("a\\u2029b", EscapedText.escape(utf8("a\u2029b")));
    }

    @Test
    void lineAndParagraphSeparatorsRoundTrip() {
        assertRoundTrip(utf8("a\u2028b\u2029c"));
    }

    @Test
    void loneInvalidByteIsEscapedAsHex() {
        assertEquals("\\xff", EscapedText.escape(new byte[] {(byte) 0xff}));
        assertEquals("a\\xffb", EscapedText.escape(new byte[] {'a', (byte) 0xff, 'b'}));
        assertEquals("\\x80", EscapedText.escape(new byte[] {(byte) 0x80}));
    }

    @Test
    void loneInvalidByteRoundTrips() {
        assertRoundTrip(new byte[] {(byte) 0xff});
        assertRoundTrip(new byte[] {(byte) 0xfe, (byte) 0xff});
        assertRoundTrip(new byte[] {(byte) 0x80, 'a', (byte) 0xbf});
    }

    @Test
    void truncatedSequenceAtEndIsEscaped() {
        // The first two bytes of the three-byte encoding of U+20AC.
        byte[] truncated = {'a', (byte) 0xe2, (byte) 0x82};

        assertEquals("a\\xe2\\x82", EscapedText.escape(truncated));
        assertRoundTrip(truncated);
    }

    @Test
    void truncatedSequenceBeforeTextRoundTrips() {
        byte[] truncated = {(byte) 0xe2, (byte) 0x82, 'A', (byte) 0xf0, (byte) 0x9f, (byte) 0x98, 'B'};

        String escaped = EscapedText.escape(truncated);

        assertTrue(escaped.endsWith("B"), escaped);
        assertTrue(escaped.contains("A"), escaped);
        assertRoundTrip(truncated);
    }

    @Test
    void encodedSurrogateIsEscaped() {
        // ED A0 80 would be U+D800, which UTF-8 forbids.
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};

        assertEquals("\\xed\\xa0\\x80", EscapedText.escape(surrogate));
        assertRoundTrip(surrogate);
    }

    @Test
    void overlongEncodingIsEscaped() {
        // C0 AF is an overlong encoding of '/'.
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf};

        assertEquals("\\xc0\\xaf", EscapedText.escape(overlong));
        assertRoundTrip(overlong);
    }

    @Test
    void codePointAboveUnicodeRangeRoundTrips() {
        // F4 90 80 80 would be U+110000.
        assertRoundTrip(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    }

    @Test
    void escapedBytesNextToEscapedTextRoundTrip() {
        // Text that looks like an escape must not merge with a real escape next to it.
        byte[] bytes = {'\\', (byte) 0xff, 'x', 'f', 'f', '\\', 'x', (byte) 0xc3, (byte) 0xa9};

        assertRoundTrip(bytes);
    }

    @Test
    void randomBytesRoundTrip() {
        Random random = new Random(20261204L);

        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[random.nextInt(301)];
            random.nextBytes(bytes);

            assertRoundTrip(bytes);
            assertSingleLine(bytes);
        }
    }

    @Test
    void randomUtf8FragmentsRoundTrip() {
        // Uniform random bytes are rarely valid UTF-8. These arrays mix valid characters of every UTF-8
        // length with invalid sequences and escape-like text, so the borders between them are covered.
        String[] textFragments = {
            "a", " ", "\\", "\"", "\n", "\r", "\t", "\u0000", "\u001f", "\u007f", "\u0085", "\u00a0", "é",
            "\u2028", "\u2029", "€", "名", "😀", "\\x", "\\u", "ff", "00"
        };
        byte[][] invalidSequences = {
            {(byte) 0xff}, {(byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98}, {(byte) 0xc3}
        };
        Random random = new Random(42L);

        for (int i = 0; i < 2_000; i++) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int parts = random.nextInt(60);
            for (int part = 0; part < parts && bytes.size() < 300; part++) {
                if (random.nextInt(4) == 0) {
                    bytes.writeBytes(invalidSequences[random.nextInt(invalidSequences.length)]);
                } else {
                    bytes.writeBytes(utf8(textFragments[random.nextInt(textFragments.length)]));
                }
            }

            assertRoundTrip(bytes.toByteArray());
            assertSingleLine(bytes.toByteArray());
        }
    }

    @Test
    void unescapeRejectsDanglingBackslash() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("abc\\"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\"));
    }

    @Test
    void unescapeRejectsUnknownEscape() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("a\\qb"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\0"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\U0041"));
    }

    @Test
    void unescapeRejectsTruncatedHexEscape() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\x"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("ab\\xf"));
    }

    @Test
    void unescapeRejectsTruncatedUnicodeEscape() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\u"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("ab\\u202"));
    }

    @Test
    void unescapeRejectsNonHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\xzz"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\u00g0"));
    }

    @Test
    void unescapeRejectsSignedHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\x-1"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\x+f"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\u-001"));
    }

    @Test
    void unescapeRejectsLoneSurrogateEscape() {
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("\\ud800"));
        assertThrows(IllegalArgumentException.class, () -> EscapedText.unescape("a\\udc00b"));
    }

    private static void assertRoundTrip(byte[] bytes) {
        String escaped = EscapedText.escape(bytes);

        assertArrayEquals(bytes, EscapedText.unescape(escaped),
                () -> "round trip of " + HEX.formatHex(bytes) + " through \"" + escaped + "\"");
    }

    /** Asserts that the escaped form has no line break and no '"' outside an escape sequence. */
    private static void assertSingleLine(byte[] bytes) {
        String escaped = EscapedText.escape(bytes);
        String hexInput = HEX.formatHex(bytes);

        assertFalse(escaped.contains("\n"), () -> "newline in escaped form of " + hexInput);
        assertFalse(escaped.contains("\r"), () -> "carriage return in escaped form of " + hexInput);
        assertFalse(escaped.contains("\u2028"), () -> "U+2028 in escaped form of " + hexInput);
        assertFalse(escaped.contains("\u2029"), () -> "U+2029 in escaped form of " + hexInput);
        assertEquals(-1, indexOfUnescapedQuote(escaped), () -> "unescaped '\"' in \"" + escaped + "\"");
    }

    private static int indexOfUnescapedQuote(String escaped) {
        int i = 0;
        while (i < escaped.length()) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                // The character after a backslash belongs to the escape sequence.
                i += 2;
            } else if (c == '"') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
