package io.cameldlq.task;

/** Thrown by a task processor when a record could not be processed; the record is retried. */
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskFailedException(String message) {
        super(message);
    }
}
