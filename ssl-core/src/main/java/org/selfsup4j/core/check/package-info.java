/**
 * Numerical checks of hand-written gradients (the counterpart of {@code torch.autograd.gradcheck}):
 * used by this project's tests and available to users who write their own modules or losses.
 */
package org.selfsup4j.core.check;
