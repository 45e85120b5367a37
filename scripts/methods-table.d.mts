import type { MethodTableInfo } from '@emplace/core';

export const BEGIN: string;
export const END: string;
export const TABLE_PACKAGES: readonly string[];
export function renderMethods(tables: readonly MethodTableInfo[]): string;
export function withMethods(readme: string, tables: readonly MethodTableInfo[]): string | undefined;
