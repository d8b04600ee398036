export declare const N8N_VERSION: string;
export declare const root: string;
export declare function runtimeDir(): string;
export declare function n8nBin(dir?: string): string;
export declare function node24Env(extra?: Record<string, string>): NodeJS.ProcessEnv;
export declare function ensureN8n(options?: { log?: (message: string) => void }): Promise<string>;
export declare function installCommunityPackage(userFolder: string, tarball: string): Promise<void>;
export declare function packPackage(destDir: string): Promise<string>;
export declare function n8nEnv(
  userFolder: string,
  options?: { port?: number; brokerPort?: number; extra?: Record<string, string> },
): NodeJS.ProcessEnv;
export declare function prepareFilesDir(userFolder: string): string;
