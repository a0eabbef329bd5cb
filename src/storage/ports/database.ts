/** The database port: parameterised SQL, transactions, and multi-statement scripts for migrations. */

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** COPY … FROM STDIN with rows in PostgreSQL's text format, where the engine supports it. */
  copyFrom?(copySql: string, rows: string): Promise<void>;
}

export interface Database extends Transaction {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
