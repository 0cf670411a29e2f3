/** Seeded mini-batch k-means with k-means++ initialisation, for HuBERT's frame targets. */
package org.selfsup4j.speech.model.cluster;
