/**
 * Audio datasets read from folders: {@link org.selfsup4j.speech.data.AudioFolderDataset} takes labels from
 * sub-folder names or from a file-name pattern, and {@link org.selfsup4j.speech.data.Fsdd} holds the
 * Free Spoken Digit Dataset's naming scheme and official split.
 */
package org.selfsup4j.speech.data;
