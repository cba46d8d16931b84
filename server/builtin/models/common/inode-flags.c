/*
 * include/linux/fs.h (6.1, 6.12): the inode-flag tests, macros the lifter does not
 * expand. inode->i_flags is plain memory that starts at 0 for the scenario's file: no
 * S_NOSEC yet (no write since the inode was read has looked for privileges to drop),
 * no S_DAX, no S_SYNC; the superblock is not mounted -o sync.
 */
int IS_NOSEC(struct inode *inode)
{
	return inode->i_flags & S_NOSEC;
}

int IS_DAX(struct inode *inode)
{
	return inode->i_flags & S_DAX;
}

int IS_SYNC(struct inode *inode)
{
	return inode->i_flags & S_SYNC;
}
