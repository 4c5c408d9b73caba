package org.jamwire.jack;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jamwire.audio.AudioBackendException;
import org.junit.jupiter.api.Test;

class OneServerPerProcessTest {

    @Test
    void allows_many_clients_on_one_server_and_another_server_once_they_are_closed() throws Exception {
        OneServerPerProcess.claim("a");
        OneServerPerProcess.claim("a");
        assertThrows(AudioBackendException.class, () -> OneServerPerProcess.claim("b"));
        OneServerPerProcess.release();
        assertThrows(AudioBackendException.class, () -> OneServerPerProcess.claim("b"));
        OneServerPerProcess.release();
        assertDoesNotThrow(() -> OneServerPerProcess.claim("b"));
        OneServerPerProcess.release();
    }
}
