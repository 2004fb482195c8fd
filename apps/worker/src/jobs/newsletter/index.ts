export * from "./content";
export * from "./job";
export * from "./render";
export * from "./schedule";
