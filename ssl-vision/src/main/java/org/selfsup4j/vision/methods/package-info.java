/**
 * Thin method assemblies (backbone + head + objective + views + optimizer) for the core
 * {@link org.selfsup4j.core.train.Trainer}: SimCLR, MoCo v2, BYOL, VICReg, Barlow Twins, SimSiam,
 * MoCo v3, DINO, SwAV, MAE (on the ViT backbone only), and the autoencoder / denoising autoencoder / VAE baselines. {@link org.selfsup4j.vision.methods.Methods} looks them
 * up by name; {@link org.selfsup4j.vision.methods.StepCalibration} times a method's step to plan a run
 * from a time budget.
 */
package org.selfsup4j.vision.methods;
