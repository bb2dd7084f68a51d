/**
 * Datasets held in memory (synthetic blobs and spirals, the shipped iris and digits, any user CSV), the seeded
 * stratified train/test split and standardization.
 */
package dev.softmaxlab.experiments.data;
