export interface ImportCommandOptions {
  mapping: string;
  tenant?: string;
  strict?: boolean;
  json?: boolean;
  progress?: boolean;
}

export async function runImport(_file: string, _o: ImportCommandOptions): Promise<void> {
  throw new Error('kept import is not available yet');
}
