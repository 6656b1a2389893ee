import { MissingOptionalDependencyError } from '../cache/errors';

/**
 * Imports an optional package on first use, so installing core does not pull native modules.
 * A missing package becomes a MissingOptionalDependencyError naming what to install.
 */
export async function loadOptionalModule<Module>(packageName: string, feature: string): Promise<Module> {
  try {
    const loaded = (await import(packageName)) as Module & { default?: Module };
    return (loaded.default ?? loaded) as Module;
  } catch (error) {
    if (isModuleNotFound(error, packageName)) {
      throw new MissingOptionalDependencyError({ packageName, feature, cause: error });
    }
    throw error;
  }
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const message = String((error as { message?: unknown }).message ?? '');
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(packageName);
}
