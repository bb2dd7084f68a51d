package dev.softmaxlab.app;

/** Entry point (placeholder until the command line lands). */
public final class App {
    private App() {}

    public static void main(String[] args) {
        System.out.println("softmaxlab");
    }
}
