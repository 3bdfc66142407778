package io.cameldlq.deadletter;

/**
 * The partition count of the dead-letter topic, learned at start-up. A dead letter goes to the partition
 * number of its original record when the dead-letter topic has that partition, so the dead letters of a
 * partition stay in order. Otherwise, or while the count is unknown, the producer picks the partition by key.
 */
public final class DeadLetterPartitions {

    private volatile int count = -1;

    /** Records the dead-letter topic's partition count. */
    public void set(int partitions) {
        count = partitions;
    }

    /** Returns the partition for a dead letter of a record from {@code originalPartition}, or null for by key. */
    public Integer partitionFor(Integer originalPartition) {
        return originalPartition != null && originalPartition >= 0 && originalPartition < count
                ? originalPartition : null;
    }
}
