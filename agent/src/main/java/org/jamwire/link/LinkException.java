package org.jamwire.link;

/** A link could not start; the message names what was wrong and how to fix it. */
public class LinkException extends Exception {

    /** Creates the exception with a message for the user. */
    public LinkException(String message) {
        super(message);
    }

    /** Creates the exception with a message for the user and its cause. */
    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
