package org.jamwire.audio;

/** An audio backend could not do what was asked; the message says what and how to fix it. */
public class AudioBackendException extends Exception {

    /** Creates the exception with a message for the user. */
    public AudioBackendException(String message) {
        super(message);
    }

    /** Creates the exception with a message for the user and its cause. */
    public AudioBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
