/**
 * Audio datasets read from folders: {@link org.selfsup4j.speech.data.AudioFolderDataset} takes labels from
 * sub-folder names or from a file-name pattern, and {@link org.selfsup4j.speech.data.Fsdd} holds the
 * Free Spoken Digit Dataset's naming scheme and official split. {@link org.selfsup4j.speech.data.Utterances}
 * loads standardised recordings, {@link org.selfsup4j.speech.data.Crops} and
 * {@link org.selfsup4j.speech.data.CropBatchSource} make the training crops.
 */
package org.selfsup4j.speech.data;
