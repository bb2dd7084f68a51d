/** Optimizers (SGD, momentum, Adam) that update a flat parameter vector in place. */
package dev.softmaxlab.experiments.optim;
