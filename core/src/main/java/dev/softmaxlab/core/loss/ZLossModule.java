package dev.softmaxlab.core.loss;

import dev.softmaxlab.core.numeric.CountedArithmetic;

/**
 * The z-loss of PaLM: λ·lse² added to a row's loss, where lse = m + log s is the log-sum-exp of the logits the
 * path's softmax saw, from the path's own m and s. Its gradient with respect to those logits is 2λ·lse·p_j, added to
 * the path's gradient. With λ = 0 nothing at all is computed (and nothing counted): a switched-off z-loss cannot leak
 * into the loss.
 */
final class ZLossModule {

    private ZLossModule() {
    }

    /**
     * @param lambda λ in the compute format
     * @param head   the row's max and sum (or log of the sum) as the path formed them
     * @param p      the path's probabilities, row at pOffset, not modified
     * @param grad   the gradient row at gradOffset, modified: += 2λ·lse·p_j
     * @return loss + λ·lse²
     */
    static double apply(CountedArithmetic ops, double lambda, HeadRow head, double[] p, int pOffset, double[] grad,
            int gradOffset, int classes, int row, double loss) {
        if (lambda == 0.0) {
            return loss;
        }
        double logS = head.logSumKnown ? head.logSum : ops.log(head.sum, row, -1);
        double lse = ops.add(head.max, logS, row, -1);
        double penalty = ops.mul(lambda, ops.mul(lse, lse, row, -1), row, -1);
        double slope = ops.mul(ops.mul(2.0, lambda, row, -1), lse, row, -1);
        for (int j = 0; j < classes; j++) {
            grad[gradOffset + j] = ops.add(grad[gradOffset + j], ops.mul(slope, p[pOffset + j], row, j), row, j);
        }
        return ops.add(loss, penalty, row, -1);
    }
}
