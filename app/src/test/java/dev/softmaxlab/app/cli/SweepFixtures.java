package dev.softmaxlab.app.cli;

/** A spec small enough to sweep in a fraction of a second, for the command-line tests. */
final class SweepFixtures {

    /** Two grid points of a 3-step linear run on blobs. */
    static final String SPEC = "{\"schema\":\"softmaxlab.spec/1\",\"name\":\"tiny\",\"description\":\"two tiny runs\",\"base\":{\"steps\":3,"
            + "\"samples\":60,\"paths\":[\"fused\"],\"logEvery\":1,\"evalEvery\":2},\"grid\":{\"lr\":[0.1,0.2]}}";

    private SweepFixtures() {
    }
}
