import type { DependencyContainer } from "tsyringe";
import type { Clock } from "./application/ports/clock.js";
import type { LoginThrottle } from "./application/ports/login-throttle.js";
import type { PasswordHasher, TokenGenerator } from "./application/ports/security.js";
import type { Store } from "./application/ports/store.js";
import type { Config } from "./config.js";

/** The ports the composition root wires, each under one symbol. */
export interface Ports {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly passwordHasher: PasswordHasher;
  readonly tokenGenerator: TokenGenerator;
  readonly loginThrottle: LoginThrottle;
}

export const TOKENS: { readonly [K in keyof Ports]: symbol } = {
  config: Symbol("Config"),
  store: Symbol("Store"),
  clock: Symbol("Clock"),
  passwordHasher: Symbol("PasswordHasher"),
  tokenGenerator: Symbol("TokenGenerator"),
  loginThrottle: Symbol("LoginThrottle"),
};

/** Resolves a port with its type, so every constructor call in the root is checked by the compiler. */
export function port<K extends keyof Ports>(container: DependencyContainer, key: K): Ports[K] {
  return container.resolve<Ports[K]>(TOKENS[key]);
}
