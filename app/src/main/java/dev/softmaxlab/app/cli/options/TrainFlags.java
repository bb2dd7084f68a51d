package dev.softmaxlab.app.cli.options;

import dev.softmaxlab.experiments.config.ConfigKeys;
import dev.softmaxlab.experiments.config.TrainConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives {@code train} one flag per config key ({@link ConfigKeys}), named after the key in kebab case, so no field is
 * copied by hand: a flag's text goes to the config converter as it is ({@link ConfigKeys#fromText}), which checks it
 * as it checks a config file. A key whose flag a mixin already declares (the loss head's) keeps that one. Only the
 * help texts live here; a key without one still gets its flag.
 */
public final class TrainFlags implements IModelTransformer {

    /** Per key: the parameter label and the help text ({@code ${DEFAULT-VALUE}} shows train's default). */
    private static final Map<String, String[]> HELP = new LinkedHashMap<>();

    static {
        help("dataset", "NAME", "blobs, spiral, iris, digits, or csv:PATH (default: ${DEFAULT-VALUE}).");
        help("labelColumn", "NAME|INDEX",
                "csv: the label column, by header name or 0-based index (default: the last column).");
        help("header", null, "csv: line 1 names the columns (default: " + TrainConfig.DEFAULTS.data().header()
                + "); --no-header reads it as data, naming the columns 0, 1, ... by index.");
        help("standardize", null, "Z-score features with the training split's mean and std (default: "
                + TrainConfig.DEFAULTS.data().standardize() + ").");
        help("testFraction", "F", "Stratified test share in (0, 1) (default: ${DEFAULT-VALUE}).");
        help("samples", "N", "blobs/spiral: rows (default: ${DEFAULT-VALUE}).");
        help("classes", "K", "blobs/spiral: classes (default: ${DEFAULT-VALUE}).");
        help("dimensions", "D", "blobs: features (default: ${DEFAULT-VALUE}).");
        help("separation", "S", "blobs: distance scale between class centres (default: ${DEFAULT-VALUE}).");
        help("noise", "SIGMA", "blobs/spiral: noise standard deviation (default: ${DEFAULT-VALUE}).");
        help("padFraction", "F", "Share of the training rows whose label becomes the ignore index, as padding "
                + "does: left out of the loss and the mean (sparse targets) (default: ${DEFAULT-VALUE}).");
        help("model", "MODEL", "linear (softmax regression) or mlp (default: ${DEFAULT-VALUE}).");
        help("hidden", "SIZE", "mlp hidden layer sizes, e.g. 64,64 (default: ${DEFAULT-VALUE}).");
        help("activation", "FN", "mlp: relu or tanh (default: ${DEFAULT-VALUE}).");
        help("init", "SCHEME", "he or xavier (default: ${DEFAULT-VALUE}).");
        help("initScale", "X", "Multiplies the initial weights (default: ${DEFAULT-VALUE}).");
        help("logitScale", "X", "Multiplies the logits before the loss: large values push runs into the unstable "
                + "regime (default: ${DEFAULT-VALUE}).");
        help("modelPrecision", "P", "The model's own arithmetic: fp64 or fp32 (default: ${DEFAULT-VALUE}).");
        help("optimizer", "NAME", "sgd, momentum or adam (default: ${DEFAULT-VALUE}).");
        help("lr", "RATE", "Learning rate > 0 (default: ${DEFAULT-VALUE}).");
        help("weightDecay", "L2", "L2 weight decay (default: ${DEFAULT-VALUE}).");
        help("momentum", "MU", "momentum: coefficient in [0, 1) (default: ${DEFAULT-VALUE}).");
        help("beta1", "B1", "adam β1 (default: ${DEFAULT-VALUE}).");
        help("beta2", "B2", "adam β2 (default: ${DEFAULT-VALUE}).");
        help("adamEps", "EPS", "adam ε (default: ${DEFAULT-VALUE}).");
        help("batchSize", "B", "Rows per step (default: ${DEFAULT-VALUE}).");
        help("steps", "N", "Optimizer steps per run (default: ${DEFAULT-VALUE}).");
        help("epochs", "N", "Passes over the training split; overrides --steps.");
        help("seed", "SEED", "Root seed of data, split, initial weights and batch order (default: ${DEFAULT-VALUE}).");
        help("targets", "KIND", "sparse labels, or dense one-hot rows (shows separate's 0·log 0) (default: "
                + "${DEFAULT-VALUE}).");
        help("ignoreIndex", "INDEX", "A label equal to INDEX marks a row left out of the loss and of the mean; not a "
                + "class index (default: ${DEFAULT-VALUE}, as PyTorch).");
        help("classWeights", "W", "One weight > 0 per class, e.g. 1,2,0.5; a sparse mean divides by the kept rows' "
                + "label weights (default: none).");
        help("zLoss", "LAMBDA", "Add λ·lse² per row (PaLM uses 1e-4) (default: ${DEFAULT-VALUE}, off).");
        help("softcap", "C", "Cap the logits at c·tanh(z/c) before the loss (Gemma 2 uses 30) (default: none).");
        help("chunkSize", "N", "Classes per chunk of fused-chunked (default: ${DEFAULT-VALUE}).");
        help("chunkCarry", "PRECISION", "Precision fused-chunked carries partial sums in: the format or wider "
                + "(default: the accumulation precision).");
        help("onNonfinite", "ACTION", "When a step's loss or gradient is non-finite: continue (NaN weights "
                + "propagate), skip the update (as dynamic loss scaling does), or stop that run (default: "
                + "${DEFAULT-VALUE}).");
        help("logEvery", "N", "Record every N-th step (and the first, the last and the first non-finite) "
                + "(default: ${DEFAULT-VALUE}).");
        help("evalEvery", "N", "Evaluate on the test split every N steps and at the end (default: ${DEFAULT-VALUE}).");
    }

    private static void help(String key, String label, String description) {
        HELP.put(key, new String[] {label, description});
    }

    /**
     * Help order: the keys before the loss head (data, model, optimizer, schedule) just after the command's own
     * options, then {@link LossHeadOptions} and {@link ReductionOption} (orders 10 to 15), then the keys after them,
     * before the output options (30).
     */
    private static final int BEFORE_LOSS_HEAD = 5;
    private static final int AFTER_LOSS_HEAD = 20;

    @Override
    public CommandSpec transform(CommandSpec spec) {
        int order = BEFORE_LOSS_HEAD;
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            if (key.name().equals("paths")) {
                order = AFTER_LOSS_HEAD;
            }
            String flag = TrainConfig.flagOf(key.name());
            if (spec.findOption(flag) != null) {
                continue; // declared by a mixin
            }
            String[] help = HELP.getOrDefault(key.name(),
                    new String[] {"VALUE", "The config key " + key.name() + " (default: ${DEFAULT-VALUE})."});
            OptionSpec.Builder b = OptionSpec.builder(flag).order(order).description(help[1]);
            if (key.kind() == ConfigKeys.Kind.BOOLEAN) {
                // picocli's negatable flag: --standardize and --no-standardize (and --standardize=false)
                b.type(Boolean.class).negatable(true);
            } else {
                b.type(String.class).paramLabel(help[0]);
            }
            spec.addOption(b.build());
        }
        return spec;
    }
}
