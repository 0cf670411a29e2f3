/**
 * Image datasets read into memory: image folders (class subfolders or flat), IDX files (MNIST,
 * Fashion-MNIST, gzip or not) and CIFAR-10 binary batches, through a decoder that checks the declared
 * size before decoding and turns every pixel layout into float RGB or gray.
 */
package org.selfsup4j.vision.data;
