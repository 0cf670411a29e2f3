/** Runnable examples: self-supervised pretraining on images with kNN / linear-probe evaluation. */
package org.selfsup4j.examples;
