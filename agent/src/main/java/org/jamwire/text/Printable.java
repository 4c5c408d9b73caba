package org.jamwire.text;

/**
 * Text that comes from outside (a peer's handshake, a user name before login, a request, a file)
 * as it may be shown in a log, a message or the UI: control and invisible format characters (among
 * them the right-to-left override) named where a person typed them, and escaped wherever they are
 * shown. Any thread but the audio ones; allocates.
 */
public final class Printable {

    private Printable() {
    }

    /** Whether {@code cp} would change how a line of text reads: a control or format character. */
    public static boolean unsafe(int cp) {
        final int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /**
     * What is wrong with {@code name} as a name a person gives, or null: it names the first control
     * or format character and where it is.
     */
    public static String problem(String name) {
        for (int i = 0; i < name.length(); ) {
            final int cp = name.codePointAt(i);
            if (unsafe(cp)) {
                return "it holds " + describe(cp) + " at character " + (name.codePointCount(0, i) + 1)
                        + "; use printable characters only";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String describe(int cp) {
        final String hex = String.format("U+%04X", cp);
        return Character.getType(cp) == Character.FORMAT ? "an invisible format character (" + hex + ")"
                : "a control character (" + hex + ")";
    }

    /**
     * {@code text} as it may be shown in a log line or a message: every control or format character
     * becomes {@code \}{@code u{XXXX}}, and a backslash becomes two, so nothing can forge a line or a
     * terminal code, or turn the text around.
     */
    public static String escape(String text) {
        return escape(text, true);
    }

    /**
     * {@code text} with every control or format character written as {@code \}{@code u{XXXX}}, and
     * nothing else changed: for messages that may hold text already escaped.
     */
    public static String escapeControls(String text) {
        return escape(text, false);
    }

    private static String escape(String text, boolean backslashes) {
        if (text == null) {
            return null;
        }
        final StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            final int cp = text.codePointAt(i);
            if (cp == '\\' && backslashes) {
                s.append("\\\\");
            } else if (unsafe(cp)) {
                s.append("\\u{").append(Integer.toHexString(cp).toUpperCase()).append('}');
            } else {
                s.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return s.toString();
    }

}
