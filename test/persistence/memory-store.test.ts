import { MemoryStore } from "../../src/adapters/persistence/memory/memory-store.js";
import { describeStoreContract } from "./store-contract.js";

describeStoreContract("memory", async () => new MemoryStore(), (store) => store.close(), { rollsBack: false });
