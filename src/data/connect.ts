import mongoose, { type Connection } from 'mongoose';

export async function connectDatabase(uri: string): Promise<Connection> {
  // autoIndex off: indexes are built once, explicitly, by syncIndexes at start.
  const conn = mongoose.createConnection(uri, { autoIndex: false, serverSelectionTimeoutMS: 10_000 });
  await conn.asPromise();
  return conn;
}
