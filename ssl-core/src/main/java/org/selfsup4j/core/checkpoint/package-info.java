/**
 * Checkpoints: named arrays plus provenance metadata, written in a self-describing binary format
 * ({@link org.selfsup4j.core.checkpoint.CheckpointFormat}) that runs no code when loaded, is
 * checksummed end to end and is replaced atomically on disk; and a directory of numbered
 * checkpoints that keeps the newest few and resumes from the newest one that verifies
 * ({@link org.selfsup4j.core.checkpoint.CheckpointStore}).
 */
package org.selfsup4j.core.checkpoint;
