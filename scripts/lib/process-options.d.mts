export declare const API_NODE_FLAGS: string[];
export declare const RUN_TS: string;
export declare const API_MALLOC_ENV: Record<string, string>;
