/**
 * The type of `inject("o11ykitMocks")` in tests run with `@o11ykit/mock/vitest-global-setup`. The
 * augmentation lives here, in a module that `@o11ykit/mock` itself loads, so importing `mockControl`
 * (or anything else) from the package is enough for `inject` to know the key. It is harmless where
 * vitest is not installed: an augmentation of a module that cannot be found adds nothing.
 */
import type {} from "vitest";
import type { MockProvider } from "./providers.js";

/** URL of each mock the global setup started, by provider. */
export type MockUrls = Partial<Record<MockProvider, string>>;

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of each mock started by @o11ykit/mock's global setup. */
    o11ykitMocks: MockUrls;
  }
}
