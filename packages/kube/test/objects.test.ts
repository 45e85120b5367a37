import { describe, expect, it } from 'vitest';
import { KubeDocumentError, KubeObjectError, readObjects } from '@emplace/kube';

const rb = (name: string) => ({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBinding', metadata: { name, namespace: 'default' }, spec: { replicas: 1 } });

describe('readObjects', () => {
  it('reads multi-document YAML, skipping empty documents', () => {
    const objs = readObjects('---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: x, labels: {n: 3}}\n', 'in.yaml');
    expect(objs.map((o) => [o.metadata.name, o.source.document])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    expect(objs[1]!.metadata).toMatchObject({ namespace: 'x', labels: { n: '3' } });
  });

  it('reads kind: List, typed lists (items without kind) and JSON', () => {
    const list = readObjects(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [rb('a'), rb('b')] }));
    expect(list.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    const typed = readObjects(JSON.stringify({ apiVersion: 'work.karmada.io/v1alpha2', kind: 'ResourceBindingList', items: [{ metadata: { name: 'c' }, spec: {} }] }));
    expect(typed[0]).toMatchObject({ kind: 'ResourceBinding', apiVersion: 'work.karmada.io/v1alpha2' });
    expect(readObjects('')).toEqual([]);
  });

  it('names the document or the object of a bad input', () => {
    expect(() => readObjects('a: [\n', 'bad.yaml')).toThrow(KubeDocumentError);
    expect(() => readObjects('a: [\n', 'bad.yaml')).toThrow(/^bad\.yaml, document 1: is not valid YAML: .*at line 2, column 1$/);
    expect(() => readObjects('- 1\n- 2\n', 'x.yaml')).toThrow(/x\.yaml, document 1: is not a Kubernetes object/);
    expect(() => readObjects('apiVersion: v1\nmetadata: {name: a}\n', 'x.yaml')).toThrow(/has no kind/);
    expect(() => readObjects('kind: Cluster\napiVersion: cluster.karmada.io/v1alpha1\nmetadata: {}\n', 'x.yaml')).toThrow(KubeObjectError);
    expect(() => readObjects('kind: Cluster\nmetadata: {name: m1}\n', 'x.yaml')).toThrow(/^Cluster m1: apiVersion is missing \(x\.yaml, document 1\)$/);
    expect(() => readObjects('kind: Cluster\napiVersion: v1\nmetadata: {name: m1, labels: {a: {b: 1}}}\n')).toThrow(/Cluster m1: metadata\.labels\.a is not a string/);
  });
});
