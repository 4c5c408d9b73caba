package org.jamwire.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void names_the_first_control_or_format_character_and_where_it_is() {
        assertNull(Printable.problem("Studio B — Bösendorfer"));
        assertEquals("it holds a control character (U+001B) at character 5; use printable characters only",
                Printable.problem("evil\u001b[31m"));
        assertEquals("it holds an invisible format character (U+202E) at character 3; use printable characters"
                + " only",
                Printable.problem("ab\u202ecba"));
        assertEquals("it holds a control character (U+000A) at character 2; use printable characters only",
                Printable.problem("a\nb"));
    }

    @Test
    void escapes_what_could_forge_a_line_or_turn_text_around_and_keeps_the_rest() {
        assertEquals("a\\u{1B}[2J\\u{D}\\u{A}b\\u{7}\\u{202E} é \\\\",
                Printable.escape("a\u001b[2J\r\nb\u0007\u202e é \\"));
        assertNull(Printable.escape(null));
    }
}
