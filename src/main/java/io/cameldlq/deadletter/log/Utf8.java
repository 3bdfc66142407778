package io.cameldlq.deadletter.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding, which rejects malformed bytes instead of replacing them. */
public final class Utf8 {

    private Utf8() {
    }

    /** Returns {@code bytes} as text, or null if they are not valid UTF-8. */
    public static String decodeOrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Returns whether {@code bytes} are valid UTF-8. */
    public static boolean isValid(byte[] bytes) {
        return decodeOrNull(bytes) != null;
    }
}
