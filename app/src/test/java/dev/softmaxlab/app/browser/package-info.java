/** The HTML reports opened in a real browser: headless Chromium over the DevTools protocol. */
package dev.softmaxlab.app.browser;
